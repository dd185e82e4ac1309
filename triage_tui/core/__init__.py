"""The pure core: rules, calendar and parsing. Never imports textual or rich."""
