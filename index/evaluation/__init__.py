"""Question sets and test collections → retrieval and answer metrics, and their reports."""
