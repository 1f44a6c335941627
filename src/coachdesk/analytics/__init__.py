"""Analytics: the studio's figures over a date range, charts drawn on the server."""
