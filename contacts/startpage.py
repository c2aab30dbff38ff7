"""Staff start page: organisation imports waiting for confirmation."""

from contacts import selectors
from core.roles import Role
from core.startpage import register_start_block


@register_start_block("contacts.imports", template="contacts/_start_imports.html", order=16)
def imports_waiting(user):
    """Imports shown as a preview and neither confirmed nor discarded (hidden when there are none)."""
    if not user.has_role(Role.STAFF):
        return None
    batches = selectors.import_batches_waiting()
    return {"batches": batches} if batches else None
