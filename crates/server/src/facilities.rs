//! Municipal facilities: categories from the configuration, the GeoJSON (OSM exports included)
//! and SCDL « Équipements » CSV importers (each facility checked on its own, one transaction per
//! source), the scheduled polling of the configured sources and the GeoJSON export.

pub mod config;
pub mod csv;
pub mod draft;
pub mod export;
pub mod geojson;
pub mod import;
pub mod poll;
pub mod scdl;
