"""Early warning (which producing units may stop) and attribution (what each intervention really does)."""
