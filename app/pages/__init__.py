"""The server-rendered HTML surfaces: staff console, surveyors' phone app, citizens' links."""
