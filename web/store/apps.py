from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "web.store"
    label = "store"
    verbose_name = "Kho dữ liệu chiến dịch"
    default_auto_field = "django.db.models.BigAutoField"
