"""KKS-bot: registration and sparring for the Knooppunt Kansrijke Start."""

__version__ = "0.1.0"
