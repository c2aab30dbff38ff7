from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Kern")

    def ready(self):
        from core.database import use_compiled_timestamp_loader
        from core.search import reinstall_missing_fulltext

        post_migrate.connect(reinstall_missing_fulltext, dispatch_uid="kammerwerk_fulltext")
        connection_created.connect(use_compiled_timestamp_loader, dispatch_uid="kammerwerk_timestamp_loader")
