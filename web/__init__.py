"""The Django project of parindex: the campaign store (``web.store``) and the portal (``web.portal``).

The command line sets Django up itself (``web.setup.configure``); a user never names a settings
module.
"""
