"""The campaign store: Django models of a campaign and its hash-chained audit log, roles and
permissions (``permissions``), and the services the command line and the portal call."""
