"""Where the service is started: the command line, the WSGI application and gunicorn's
configuration."""
