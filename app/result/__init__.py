"""Results of a campaign: computed, stored, frozen at publication, served and exported."""
