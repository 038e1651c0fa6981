"""The documents that travel between the two companies: the parameter sheet for the
other company's customer gateway, the questionnaire before the design, the report
after a check (docs/sheet.md)."""
