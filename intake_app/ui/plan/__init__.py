"""The plan step: route advice with its reasons, the officer's decision, deadlines, PDF preview, versions."""
