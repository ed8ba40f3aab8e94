"""The GASPOL microservice chassis: infrastructure every service and the gateway opt into."""
