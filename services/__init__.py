"""The five GASPOL services; each runs as its own process and never imports another."""
