"""The Textual app: screens, widgets, one stylesheet, key bindings."""
