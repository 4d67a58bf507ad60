//! The words of the reporting screens (« Signaler », « Mes signalements »), in French and
//! English: a table of their own, like the opening hours' words, so each screen's words sit
//! together.

use parvis_core::Locale;

/// Every fixed text of the reporting screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportText {
    Intro,
    Anonymous,
    What,
    SearchCategory,
    NoCategoryMatches,
    CategoriesMissing,
    Photos,
    TakePhoto,
    PickPhoto,
    Preparing,
    PhotoUnreadable,
    PhotoLimit,
    RemovePhoto,
    Photo,
    Where,
    UseMyPosition,
    FromDevice,
    FromPhoto,
    FromMap,
    ChooseOnMap,
    MapHint,
    MapUnavailable,
    Address,
    Details,
    DescriptionLabel,
    DescriptionHint,
    Email,
    EmailHint,
    Send,
    SendAgain,
    FixFields,
    ErrorCategory,
    ErrorDescription,
    ErrorTooLong,
    ErrorPosition,
    ErrorOutside,
    ErrorEmail,
    NearbyTitle,
    NearbyHint,
    MeToo,
    MeTooDone,
    MeTooFailed,
    Metres,
    Queued,
    QueuedHint,
    Failed,
    FailedHint,
    Submitted,
    Acknowledged,
    Scheduled,
    InProgress,
    Resolved,
    Rejected,
    Duplicate,
    ScheduledFor,
    DuplicateOf,
    Number,
    History,
    Edit,
    Delete,
    RetryNow,
    Followed,
    Supporters,
    PhotosCount,
    NewReport,
    NotFound,
    Refreshing,
}

impl ReportText {
    /// The text in `locale`.
    pub fn get(self, locale: Locale) -> &'static str {
        use ReportText::*;
        match locale {
            Locale::Fr => match self {
                Intro => {
                    "Signalez un problème dans l’espace public. Il part tout de suite, ou tout seul dès que le réseau revient."
                }
                Anonymous => {
                    "Votre signalement reste anonyme, sauf si vous laissez votre adresse électronique."
                }
                What => "1. Quel est le problème ?",
                SearchCategory => "Rechercher une catégorie",
                NoCategoryMatches => "Aucune catégorie ne correspond à cette recherche.",
                CategoriesMissing => {
                    "Les catégories ne sont pas encore sur cet appareil : connectez-vous une fois."
                }
                Photos => "2. Photos (3 au plus, facultatif)",
                TakePhoto => "Prendre une photo",
                PickPhoto => "Choisir dans la galerie",
                Preparing => "Préparation de la photo…",
                PhotoUnreadable => {
                    "Cette photo n’a pas pu être lue. Essayez-en une autre (JPEG, PNG ou WebP)."
                }
                PhotoLimit => "Trois photos au plus : retirez-en une pour en ajouter une autre.",
                RemovePhoto => "Retirer la photo",
                Photo => "Photo",
                Where => "3. Où ?",
                UseMyPosition => "Utiliser ma position",
                FromDevice => "Position de l’appareil",
                FromPhoto => "Position lue sur la photo",
                FromMap => "Position choisie sur la carte",
                ChooseOnMap => "Choisir sur la carte",
                MapHint => "Touchez la carte à l’endroit du problème.",
                MapUnavailable => {
                    "La carte n’a pas pu être chargée : utilisez votre position ou une photo géolocalisée."
                }
                Address => "Adresse ou repère (facultatif)",
                Details => "4. Détails",
                DescriptionLabel => "Description du problème",
                DescriptionHint => "Ce que vous voyez, et depuis quand. Facultatif avec une photo.",
                Email => "Adresse électronique (facultatif)",
                EmailHint => "Pour que la mairie puisse vous répondre. Elle n’est jamais publiée.",
                Send => "Envoyer le signalement",
                SendAgain => "Renvoyer le signalement",
                FixFields => "Le signalement n’est pas complet : voyez les messages ci-dessous.",
                ErrorCategory => "Choisissez une catégorie.",
                ErrorDescription => "Décrivez le problème ou joignez une photo.",
                ErrorTooLong => "Ce texte est trop long.",
                ErrorPosition => {
                    "Indiquez où se trouve le problème : votre position, une photo géolocalisée ou la carte."
                }
                ErrorOutside => "Ce lieu est hors de la commune.",
                ErrorEmail => "L’adresse électronique n’est pas valide (exemple : nom@exemple.fr).",
                NearbyTitle => "Déjà signalé près d’ici ?",
                NearbyHint => {
                    "Si c’est le même problème, dites « Moi aussi » plutôt que de le signaler une deuxième fois."
                }
                MeToo => "Moi aussi",
                MeTooDone => "Merci : vous suivez ce signalement dans « Mes signalements ».",
                MeTooFailed => "« Moi aussi » n’a pas pu être envoyé : réessayez avec du réseau.",
                Metres => "m",
                Queued => "En attente d’envoi",
                QueuedHint => "Il partira tout seul dès que le réseau reviendra.",
                Failed => "Non envoyé",
                FailedHint => {
                    "Le serveur l’a refusé. Modifiez-le puis renvoyez-le, ou supprimez-le."
                }
                Submitted => "Reçu par la mairie",
                Acknowledged => "Pris en compte",
                Scheduled => "Intervention programmée",
                InProgress => "En cours",
                Resolved => "Résolu",
                Rejected => "Refusé",
                Duplicate => "Déjà signalé",
                ScheduledFor => "prévue le",
                DuplicateOf => "Signalement d’origine n°",
                Number => "Signalement n°",
                History => "Historique",
                Edit => "Modifier",
                Delete => "Supprimer",
                RetryNow => "Réessayer maintenant",
                Followed => "Suivi après « Moi aussi »",
                Supporters => "personne(s) concernée(s)",
                PhotosCount => "photo(s)",
                NewReport => "Faire un signalement",
                NotFound => "Ce signalement n’est plus sur cet appareil.",
                Refreshing => "Mise à jour des statuts…",
            },
            Locale::En => match self {
                Intro => {
                    "Report a problem in a public space. It is sent at once, or by itself as soon as the network is back."
                }
                Anonymous => "Your report stays anonymous unless you leave your email address.",
                What => "1. What is the problem?",
                SearchCategory => "Search a category",
                NoCategoryMatches => "No category matches this search.",
                CategoriesMissing => "The categories are not on this device yet: connect once.",
                Photos => "2. Photos (3 at most, optional)",
                TakePhoto => "Take a photo",
                PickPhoto => "Choose from the gallery",
                Preparing => "Preparing the photo…",
                PhotoUnreadable => {
                    "This photo could not be read. Try another one (JPEG, PNG or WebP)."
                }
                PhotoLimit => "Three photos at most: remove one to add another.",
                RemovePhoto => "Remove photo",
                Photo => "Photo",
                Where => "3. Where?",
                UseMyPosition => "Use my position",
                FromDevice => "Position of the device",
                FromPhoto => "Position read from the photo",
                FromMap => "Position chosen on the map",
                ChooseOnMap => "Choose on the map",
                MapHint => "Tap the map where the problem is.",
                MapUnavailable => {
                    "The map could not be loaded: use your position or a geotagged photo."
                }
                Address => "Address or landmark (optional)",
                Details => "4. Details",
                DescriptionLabel => "Description of the problem",
                DescriptionHint => "What you see, and since when. Optional with a photo.",
                Email => "Email address (optional)",
                EmailHint => "So the town hall can answer you. It is never published.",
                Send => "Send the report",
                SendAgain => "Send the report again",
                FixFields => "The report is not complete: see the messages below.",
                ErrorCategory => "Choose a category.",
                ErrorDescription => "Describe the problem or add a photo.",
                ErrorTooLong => "This text is too long.",
                ErrorPosition => {
                    "Say where the problem is: your position, a geotagged photo or the map."
                }
                ErrorOutside => "This place is outside the commune.",
                ErrorEmail => "The email address is not valid (example: name@example.com).",
                NearbyTitle => "Already reported nearby?",
                NearbyHint => {
                    "If it is the same problem, say “Me too” rather than reporting it twice."
                }
                MeToo => "Me too",
                MeTooDone => "Thank you: you follow this report in “My reports”.",
                MeTooFailed => "“Me too” could not be sent: try again with a network.",
                Metres => "m",
                Queued => "Waiting to be sent",
                QueuedHint => "It will be sent by itself as soon as the network is back.",
                Failed => "Not sent",
                FailedHint => "The server refused it. Edit it and send it again, or delete it.",
                Submitted => "Received by the town hall",
                Acknowledged => "Acknowledged",
                Scheduled => "Work scheduled",
                InProgress => "In progress",
                Resolved => "Resolved",
                Rejected => "Rejected",
                Duplicate => "Already reported",
                ScheduledFor => "planned on",
                DuplicateOf => "Original report no.",
                Number => "Report no.",
                History => "History",
                Edit => "Edit",
                Delete => "Delete",
                RetryNow => "Try again now",
                Followed => "Followed after “Me too”",
                Supporters => "person(s) concerned",
                PhotosCount => "photo(s)",
                NewReport => "Report a problem",
                NotFound => "This report is no longer on this device.",
                Refreshing => "Updating the statuses…",
            },
        }
    }
}
