//! The app's words in French (default) and English, and the resident's choice of language.
//!
//! A hand-written table rather than a Fluent/ICU runtime: a few dozen fixed strings do not
//! justify their weight in the Wasm bundle. Every key must have both languages (a `match`
//! the compiler checks).

pub mod report_text;

use leptos::prelude::*;
use parvis_core::Locale;

use crate::platform::document;
use crate::store::prefs;

pub use report_text::ReportText;

/// Every fixed text the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    SkipToContent,
    MainNavigation,
    NavNews,
    NavAgenda,
    NavMap,
    NavReport,
    NavMyReports,
    NavSettings,
    Offline,
    UpdateAvailable,
    Reload,
    NewsTitle,
    NewsEmpty,
    AgendaTitle,
    AgendaEmpty,
    MapTitle,
    MapEmpty,
    ReportTitle,
    MyReportsTitle,
    MyReportsEmpty,
    SettingsTitle,
    Language,
    LanguageHint,
    LanguageNotSaved,
    About,
    AppVersion,
    Commune,
    CommuneWebsite,
    Loading,
    NotFoundTitle,
    NotFoundText,
    BackHome,
    ErrorTitle,
    Retry,
    ServerUnreachable,
    StorageUnavailable,
    ServerRefused,
    Refresh,
    Refreshing,
    UpdatedAgo,
    NeverSynced,
    AllThemes,
    FilterByTheme,
    NoArticleForFilter,
    ChooseThemesTitle,
    ChooseThemesHint,
    Confirm,
    Later,
    ReadMore,
    Share,
    LinkCopied,
    ShareFailed,
    ArticleNotFound,
    BackToNews,
    PublishedOn,
    Source,
    FollowedThemes,
    FollowedThemesHint,
    Notifications,
    NotificationsSwitch,
    NotificationsOn,
    NotificationsWorking,
    NotificationsDenied,
    NotificationsHomeScreen,
    NotificationsUnsupported,
    NotificationsNeedNetwork,
    NotificationsFailed,
    NoThemesYet,
    OfflineShort,
    Today,
    Tomorrow,
    ThisWeekend,
    SearchEvents,
    Category,
    AllCategories,
    AudienceLabel,
    AllAudiences,
    AudienceEveryone,
    AudienceFamily,
    AudienceChildren,
    AudienceSeniors,
    FreeOnly,
    AllDates,
    Days,
    ChooseDate,
    NoEventForFilter,
    ClearFilters,
    ShowMore,
    EventsFound,
    Cancelled,
    CancelledNotice,
    AllDay,
    When,
    Where,
    Price,
    Registration,
    Accessibility,
    For,
    SeeOnMap,
    AddToCalendar,
    BackToAgenda,
    EventNotFound,
    Filters,
    MoreInfo,
    HoursComputing,
    HoursUnavailable,
    FacilitiesTitle,
    SeeList,
    SeeMap,
    OpenNow,
    AllFacilities,
    FilterFacilities,
    LocateMe,
    Locating,
    LocationDenied,
    LocationUnavailable,
    SortedByDistance,
    SortedByName,
    FacilitiesFound,
    NoFacilityForFilter,
    MapLoading,
    MapFailed,
    Legend,
    MapHint,
    BackToFacilities,
    FacilityNotFound,
    Call,
    Directions,
    OpenInMapsApp,
    Website,
    Email,
    Address,
    Phone,
    WheelchairYes,
    WheelchairLimited,
    WheelchairNo,
    Services,
    Description,
    Contact,
}

impl Text {
    /// The text in `locale`.
    pub fn get(self, locale: Locale) -> &'static str {
        match locale {
            Locale::Fr => self.fr(),
            Locale::En => self.en(),
        }
    }

    fn fr(self) -> &'static str {
        use Text::*;
        match self {
            SkipToContent => "Aller au contenu",
            MainNavigation => "Navigation principale",
            NavNews => "Actualités",
            NavAgenda => "Agenda",
            NavMap => "Carte",
            NavReport => "Signaler",
            NavMyReports => "Mes signalements",
            NavSettings => "Réglages",
            Offline => "Hors ligne — vous voyez ce qui est enregistré sur cet appareil.",
            UpdateAvailable => "Nouvelle version disponible",
            Reload => "Recharger",
            NewsTitle => "Actualités",
            NewsEmpty => {
                "Aucune actualité pour le moment. Les nouvelles de la commune, par thème, arriveront ici."
            }
            AgendaTitle => "Agenda",
            AgendaEmpty => {
                "Aucun événement pour le moment. L’agenda de la commune s’affichera ici, même hors ligne."
            }
            MapTitle => "Carte des équipements",
            MapEmpty => {
                "Aucun équipement pour le moment. La mairie, la piscine, la médiathèque et leurs horaires s’afficheront ici."
            }
            ReportTitle => "Signaler un problème",
            MyReportsTitle => "Mes signalements",
            MyReportsEmpty => "Vous n’avez encore envoyé aucun signalement.",
            SettingsTitle => "Réglages",
            Language => "Langue",
            LanguageHint => "La langue de l’application sur cet appareil.",
            LanguageNotSaved => {
                "Ce choix ne pourra pas être retenu : le stockage de l’appareil est indisponible."
            }
            About => "À propos",
            AppVersion => "Version de l’application",
            Commune => "Commune",
            CommuneWebsite => "Site de la commune",
            Loading => "Chargement…",
            NotFoundTitle => "Page introuvable",
            NotFoundText => "Cette adresse ne correspond à aucune page de l’application.",
            BackHome => "Retour à l’accueil",
            ErrorTitle => "Une erreur est survenue",
            Retry => "Réessayer",
            ServerUnreachable => {
                "Le serveur de la commune est injoignable. Vérifiez votre connexion puis réessayez."
            }
            StorageUnavailable => {
                "Le stockage de l’appareil est indisponible (navigation privée ?)."
            }
            ServerRefused => "Le serveur de la commune a refusé la demande. Réessayez plus tard.",
            Refresh => "Actualiser",
            Refreshing => "Mise à jour…",
            UpdatedAgo => "mis à jour",
            NeverSynced => {
                "Pas encore de données sur cet appareil : connectez-vous une première fois."
            }
            AllThemes => "Tous",
            FilterByTheme => "Filtrer par thème",
            NoArticleForFilter => "Aucune actualité pour ce thème.",
            ChooseThemesTitle => "Quels sujets vous intéressent ?",
            ChooseThemesHint => {
                "Vous verrez les actualités de ces thèmes. Vous pourrez changer d’avis dans les réglages."
            }
            Confirm => "Valider",
            Later => "Plus tard",
            ReadMore => "Lire",
            Share => "Partager",
            LinkCopied => "Lien copié.",
            ShareFailed => "Le partage n’est pas possible sur cet appareil.",
            ArticleNotFound => "Cet article n’est pas (ou plus) disponible sur cet appareil.",
            BackToNews => "Toutes les actualités",
            PublishedOn => "Publié le",
            Source => "Source",
            FollowedThemes => "Thèmes suivis",
            FollowedThemesHint => "Sans choix, vous voyez toutes les actualités.",
            Notifications => "Notifications",
            NotificationsSwitch => "Me prévenir des nouvelles actualités de mes thèmes",
            NotificationsOn => "Activées pour vos thèmes.",
            NotificationsWorking => "Un instant…",
            NotificationsDenied => {
                "Les notifications sont bloquées pour ce site. Autorisez-les dans les réglages du navigateur, puis réessayez."
            }
            NotificationsHomeScreen => {
                "Sur iPhone et iPad, les notifications ne fonctionnent que pour une application ajoutée à l’écran d’accueil : touchez le bouton Partager de Safari, puis « Sur l’écran d’accueil », et ouvrez Parvis depuis son icône."
            }
            NotificationsUnsupported => {
                "Ce navigateur ne permet pas de recevoir des notifications."
            }
            NotificationsNeedNetwork => {
                "Une connexion est nécessaire pour activer les notifications."
            }
            NotificationsFailed => {
                "Les notifications n’ont pas pu être activées. Réessayez plus tard."
            }
            NoThemesYet => "Les thèmes s’afficheront après une première connexion.",
            OfflineShort => "Hors ligne",
            Today => "Aujourd’hui",
            Tomorrow => "Demain",
            ThisWeekend => "Ce week-end",
            SearchEvents => "Rechercher un événement",
            Category => "Catégorie",
            AllCategories => "Toutes les catégories",
            AudienceLabel => "Public",
            AllAudiences => "Tous les publics",
            AudienceEveryone => "Tout public",
            AudienceFamily => "Famille",
            AudienceChildren => "Enfants",
            AudienceSeniors => "Seniors",
            FreeOnly => "Gratuit",
            AllDates => "Toutes les dates",
            Days => "Jours",
            ChooseDate => "Choisir une date",
            NoEventForFilter => "Aucun événement ne correspond à ces critères.",
            ClearFilters => "Effacer les filtres",
            ShowMore => "Afficher plus",
            EventsFound => "événement(s)",
            Cancelled => "Annulé",
            CancelledNotice => "Cet événement est annulé.",
            AllDay => "Toute la journée",
            When => "Quand",
            Where => "Où",
            Price => "Tarif",
            Registration => "Inscription",
            Accessibility => "Accessibilité",
            For => "Pour",
            SeeOnMap => "Voir sur la carte",
            AddToCalendar => "Ajouter à mon agenda",
            BackToAgenda => "Tout l’agenda",
            EventNotFound => "Cet événement n’est pas (ou plus) disponible sur cet appareil.",
            Filters => "Filtres",
            MoreInfo => "En savoir plus",
            HoursComputing => "Calcul des horaires…",
            HoursUnavailable => "Les horaires n’ont pas pu être calculés sur cet appareil.",
            FacilitiesTitle => "Équipements",
            SeeList => "Voir la liste",
            SeeMap => "Voir la carte",
            OpenNow => "Ouvert maintenant",
            AllFacilities => "Tous",
            FilterFacilities => "Filtrer les équipements",
            LocateMe => "Me localiser",
            Locating => "Localisation…",
            LocationDenied => {
                "La localisation est refusée. Autorisez-la dans les réglages du navigateur."
            }
            LocationUnavailable => "Votre position n’a pas pu être déterminée.",
            SortedByDistance => "Du plus proche au plus lointain.",
            SortedByName => "Par ordre alphabétique.",
            FacilitiesFound => "équipement(s)",
            NoFacilityForFilter => "Aucun équipement ne correspond à ces critères.",
            MapLoading => "Chargement de la carte…",
            MapFailed => {
                "La carte n’a pas pu être chargée. La liste des équipements reste disponible."
            }
            Legend => "Légende",
            MapHint => "Touchez un repère pour ouvrir la fiche de l’équipement.",
            BackToFacilities => "Tous les équipements",
            FacilityNotFound => "Cet équipement n’est pas (ou plus) disponible sur cet appareil.",
            Call => "Appeler",
            Directions => "Itinéraire",
            OpenInMapsApp => "Ouvrir dans une application de cartes",
            Website => "Site web",
            Email => "Courriel",
            Address => "Adresse",
            Phone => "Téléphone",
            WheelchairYes => "Accessible en fauteuil roulant",
            WheelchairLimited => "Accès partiel en fauteuil roulant",
            WheelchairNo => "Non accessible en fauteuil roulant",
            Services => "Services",
            Description => "Présentation",
            Contact => "Contact",
        }
    }

    fn en(self) -> &'static str {
        use Text::*;
        match self {
            SkipToContent => "Skip to content",
            MainNavigation => "Main navigation",
            NavNews => "News",
            NavAgenda => "Events",
            NavMap => "Map",
            NavReport => "Report",
            NavMyReports => "My reports",
            NavSettings => "Settings",
            Offline => "Offline — you are seeing what is saved on this device.",
            UpdateAvailable => "New version available",
            Reload => "Reload",
            NewsTitle => "News",
            NewsEmpty => "No news yet. The commune's news, by theme, will appear here.",
            AgendaTitle => "Events",
            AgendaEmpty => "No events yet. The commune's agenda will appear here, offline too.",
            MapTitle => "Facilities map",
            MapEmpty => {
                "No facilities yet. The town hall, the pool, the library and their opening hours will appear here."
            }
            ReportTitle => "Report a problem",
            MyReportsTitle => "My reports",
            MyReportsEmpty => "You have not sent any report yet.",
            SettingsTitle => "Settings",
            Language => "Language",
            LanguageHint => "The app's language on this device.",
            LanguageNotSaved => {
                "This choice cannot be remembered: the device's storage is unavailable."
            }
            About => "About",
            AppVersion => "App version",
            Commune => "Commune",
            CommuneWebsite => "Commune website",
            Loading => "Loading…",
            NotFoundTitle => "Page not found",
            NotFoundText => "This address does not match any page of the app.",
            BackHome => "Back to home",
            ErrorTitle => "Something went wrong",
            Retry => "Try again",
            ServerUnreachable => {
                "The commune's server cannot be reached. Check your connection and try again."
            }
            StorageUnavailable => "The device's storage is unavailable (private browsing?).",
            ServerRefused => "The commune's server refused the request. Try again later.",
            Refresh => "Refresh",
            Refreshing => "Updating…",
            UpdatedAgo => "updated",
            NeverSynced => "No data on this device yet: connect once first.",
            AllThemes => "All",
            FilterByTheme => "Filter by theme",
            NoArticleForFilter => "No news for this theme.",
            ChooseThemesTitle => "Which topics interest you?",
            ChooseThemesHint => {
                "You will see the news of these themes. You can change your mind in the settings."
            }
            Confirm => "Confirm",
            Later => "Later",
            ReadMore => "Read",
            Share => "Share",
            LinkCopied => "Link copied.",
            ShareFailed => "Sharing is not possible on this device.",
            ArticleNotFound => "This article is not (or no longer) available on this device.",
            BackToNews => "All news",
            PublishedOn => "Published on",
            Source => "Source",
            FollowedThemes => "Followed themes",
            FollowedThemesHint => "With no choice, you see all the news.",
            Notifications => "Notifications",
            NotificationsSwitch => "Notify me of new articles in my themes",
            NotificationsOn => "On for your themes.",
            NotificationsWorking => "One moment…",
            NotificationsDenied => {
                "Notifications are blocked for this site. Allow them in the browser's settings, then try again."
            }
            NotificationsHomeScreen => {
                "On iPhone and iPad, notifications only work for an app added to the Home Screen: tap Safari's Share button, then “Add to Home Screen”, and open Parvis from its icon."
            }
            NotificationsUnsupported => "This browser cannot receive notifications.",
            NotificationsNeedNetwork => "A connection is needed to turn notifications on.",
            NotificationsFailed => "Notifications could not be turned on. Try again later.",
            NoThemesYet => "The themes will appear after a first connection.",
            OfflineShort => "Offline",
            Today => "Today",
            Tomorrow => "Tomorrow",
            ThisWeekend => "This weekend",
            SearchEvents => "Search events",
            Category => "Category",
            AllCategories => "All categories",
            AudienceLabel => "Audience",
            AllAudiences => "All audiences",
            AudienceEveryone => "Everyone",
            AudienceFamily => "Families",
            AudienceChildren => "Children",
            AudienceSeniors => "Seniors",
            FreeOnly => "Free",
            AllDates => "All dates",
            Days => "Days",
            ChooseDate => "Pick a date",
            NoEventForFilter => "No event matches these filters.",
            ClearFilters => "Clear filters",
            ShowMore => "Show more",
            EventsFound => "event(s)",
            Cancelled => "Cancelled",
            CancelledNotice => "This event is cancelled.",
            AllDay => "All day",
            When => "When",
            Where => "Where",
            Price => "Price",
            Registration => "Registration",
            Accessibility => "Accessibility",
            For => "For",
            SeeOnMap => "See on the map",
            AddToCalendar => "Add to my calendar",
            BackToAgenda => "Whole agenda",
            EventNotFound => "This event is not (or no longer) available on this device.",
            Filters => "Filters",
            MoreInfo => "More information",
            HoursComputing => "Working out the opening hours…",
            HoursUnavailable => "The opening hours could not be worked out on this device.",
            FacilitiesTitle => "Facilities",
            SeeList => "See the list",
            SeeMap => "See the map",
            OpenNow => "Open now",
            AllFacilities => "All",
            FilterFacilities => "Filter the facilities",
            LocateMe => "Locate me",
            Locating => "Locating…",
            LocationDenied => "Location is blocked. Allow it in the browser's settings.",
            LocationUnavailable => "Your position could not be found.",
            SortedByDistance => "Nearest first.",
            SortedByName => "In alphabetical order.",
            FacilitiesFound => "facility(ies)",
            NoFacilityForFilter => "No facility matches these filters.",
            MapLoading => "Loading the map…",
            MapFailed => "The map could not be loaded. The list of facilities is still available.",
            Legend => "Legend",
            MapHint => "Tap a marker to open the facility's page.",
            BackToFacilities => "All facilities",
            FacilityNotFound => "This facility is not (or no longer) available on this device.",
            Call => "Call",
            Directions => "Directions",
            OpenInMapsApp => "Open in a maps app",
            Website => "Website",
            Email => "Email",
            Address => "Address",
            Phone => "Phone",
            WheelchairYes => "Wheelchair accessible",
            WheelchairLimited => "Partly wheelchair accessible",
            WheelchairNo => "Not wheelchair accessible",
            Services => "Services",
            Description => "About",
            Contact => "Contact",
        }
    }
}

/// The words of opening hours: status lines and the week's table. Only the hours worker
/// writes them (see `components::facility_status`), so this table stays out of the app's
/// first-visit Wasm, unlike [`Text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoursText {
    StatusOpen,
    StatusClosed,
    StatusUnknown,
    StatusCloses,
    StatusOpens,
    StatusAt,
    StatusClosesIn,
    TomorrowLower,
    ClosedUntil,
    WeekHours,
    DayColumn,
    HoursColumn,
    ToConfirm,
    TodayLower,
    DeclaredHours,
    ExceptionalClosure,
}

impl HoursText {
    /// The text in `locale`.
    pub fn get(self, locale: Locale) -> &'static str {
        use HoursText::*;
        match locale {
            Locale::Fr => match self {
                StatusOpen => "Ouvert",
                StatusClosed => "Fermé",
                StatusUnknown => "Horaires inconnus",
                StatusCloses => "ferme",
                StatusOpens => "ouvre",
                StatusAt => "à",
                StatusClosesIn => "Ferme dans",
                TomorrowLower => "demain",
                ClosedUntil => "Fermeture exceptionnelle jusqu’au",
                WeekHours => "Horaires de la semaine",
                DayColumn => "Jour",
                HoursColumn => "Horaires",
                ToConfirm => "à confirmer",
                TodayLower => "aujourd’hui",
                DeclaredHours => "Horaires déclarés",
                ExceptionalClosure => "Fermeture exceptionnelle",
            },
            Locale::En => match self {
                StatusOpen => "Open",
                StatusClosed => "Closed",
                StatusUnknown => "Hours unknown",
                StatusCloses => "closes",
                StatusOpens => "opens",
                StatusAt => "at",
                StatusClosesIn => "Closes in",
                TomorrowLower => "tomorrow",
                ClosedUntil => "Exceptionally closed until",
                WeekHours => "This week's opening hours",
                DayColumn => "Day",
                HoursColumn => "Hours",
                ToConfirm => "to be confirmed",
                TodayLower => "today",
                DeclaredHours => "Hours as published",
                ExceptionalClosure => "Exceptional closure",
            },
        }
    }
}

/// The language in use; `Copy`, so views capture it freely.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
    saved: RwSignal<bool>,
}

impl I18n {
    /// The current language (tracked).
    pub fn locale(self) -> Locale {
        self.locale.get()
    }

    /// The current language, without tracking (for event handlers).
    pub fn locale_untracked(self) -> Locale {
        self.locale.get_untracked()
    }

    /// `text` in the current language, untracked: for static labels of views that the app
    /// rebuilds as a whole when the language changes (one reactive scope instead of one per
    /// label keeps the Wasm small).
    pub fn tr(self, text: Text) -> &'static str {
        text.get(self.locale.get_untracked())
    }

    /// A word of the reporting screens in the current language, untracked (see [`I18n::tr`]).
    pub fn rt(self, text: ReportText) -> &'static str {
        text.get(self.locale.get_untracked())
    }

    /// `text` in the current language (tracked).
    pub fn t(self, text: Text) -> &'static str {
        text.get(self.locale.get())
    }

    /// Whether the last choice could be remembered on the device.
    pub fn saved(self) -> bool {
        self.saved.get()
    }

    /// Switches language, remembers it and updates `<html lang>`.
    pub fn set_locale(self, locale: Locale) {
        self.saved.set(prefs::set_locale(locale));
        self.apply(locale);
    }

    /// Switches language for this visit only (e.g. the commune's default before any choice).
    pub fn use_default(self, locale: Locale) {
        if prefs::locale().is_none() {
            self.apply(locale);
        }
    }

    fn apply(self, locale: Locale) {
        document::set_lang(locale.tag());
        self.locale.set(locale);
    }
}

/// Provides the language context: the remembered choice, else French.
pub fn provide_i18n() -> I18n {
    let locale = prefs::locale().unwrap_or(Locale::Fr);
    document::set_lang(locale.tag());
    let i18n = I18n {
        locale: RwSignal::new(locale),
        saved: RwSignal::new(true),
    };
    provide_context(i18n);
    i18n
}

/// The language context provided by the app.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
