"""What accounts announces to the layers above it (which accounts never imports)."""

from django.dispatch import Signal

# Sent with ``user=`` when erasure (GDPR Art. 17) closes an account, before it is anonymised, so the
# modules that tie something to the account (contacts: the organisations it edits) drop it. A
# receiver returns the number of rows it deleted.
account_closing = Signal()
