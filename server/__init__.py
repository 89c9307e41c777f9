"""People's entry points: the HTTP app and the command line (thin: parse, call, render)."""
