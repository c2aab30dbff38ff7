"""Confirmation links no longer carry the management token (issue 12, item 17).

Until now the signed confirmation link held ``<pk>.<token>`` in clear text, so anyone with an old
(even expired) confirmation mail could open the preferences and the data export. From now on the
link names a separate ``confirm_key``. For existing rows:

- a subscriber who never confirmed received the token only in such a link: the token is replaced
  (nothing else carries it), and a pending one gets a fresh confirmation key, which makes every old
  link for it void; the throttle is reset so that signing up again sends a new link at once;
- a confirmed subscriber keeps the token: every issue they received carries it in its unsubscribe
  link (RFC 8058), which must keep working.
"""

import secrets

from django.db import migrations, models


def new_key() -> str:
    return secrets.token_urlsafe(24)


def separate_tokens(apps, schema_editor):
    Subscriber = apps.get_model("newsletter", "Subscriber")
    for subscriber in Subscriber.objects.filter(confirmed_at__isnull=True).only("pk", "status").iterator():
        fields = {"token": new_key()}
        if subscriber.status == "pending":
            fields.update(confirm_key=new_key(), confirmation_sent_at=None)
        Subscriber.objects.filter(pk=subscriber.pk).update(**fields)


class Migration(migrations.Migration):
    dependencies = [("newsletter", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="subscriber",
            name="confirm_key",
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.RunPython(separate_tokens, migrations.RunPython.noop),
    ]
