from .cli import cli

# Guarded: the processes that read pages during a crawl import this module again under another name
# when citegraph runs as ``python -m citegraph``.
if __name__ == "__main__":
    cli()
