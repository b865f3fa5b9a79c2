"""brocheck: granskning av kommuners brottsförebyggande arbete enligt Lag (2023:196)."""

__version__ = "0.1.0"
