"""Raw open data (OSM extracts, GHSL / WorldPop grids) → the layers of a project."""
