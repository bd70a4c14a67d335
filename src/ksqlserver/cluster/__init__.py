"""The server among its peers: the command topic, membership, pull routing and the server's identity
(see README.md)."""
