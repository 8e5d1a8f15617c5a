"""Framework-free pieces shared by at least two use-case packages (never imports Django)."""
