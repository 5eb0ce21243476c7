//! Offline basemap renderer (being written).
