"""A static site generator for a microsite about the first feature film shot in orbit.

One module per pipeline stage: ``seeds`` (import), ``content`` (load), ``markup`` and
``render`` (render), ``output`` (write); ``pipeline`` runs them, ``cli`` is the command
line. See ARCHITECTURE in the README.
"""

__version__ = "0.1.0"
