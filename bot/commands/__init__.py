"""Sub-commands of ``chaser``: each module defines ``register(subparsers)`` and sets ``run``."""
