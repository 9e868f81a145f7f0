"""litwatch: watch the primary literature on ketamine, esketamine and arketamine."""

__version__ = "0.1.0"
