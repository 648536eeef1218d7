"""The intake wizard: one page per domain of the questionnaire, rendered from what the engine says."""
