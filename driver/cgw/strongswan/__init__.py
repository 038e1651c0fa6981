"""strongSwan as the customer gateway: its files found and read as starter and
swanctl read them, checked against strongSwan's own parser and keyword lists."""
