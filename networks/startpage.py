from core.roles import Role
from core.startpage import register_start_block
from networks.selectors import due_for, post_imports_waiting


@register_start_block("networks", template="networks/_start_block.html", order=45)
def networks_block(user):
    """The responsible person's due acquisition steps and network steps (hidden when there are none)."""
    if not user.has_role(Role.STAFF):
        return None
    due = due_for(user)
    if not due["prospects"] and not due["networks"]:
        return None
    return {**due, "user_id": user.pk}


@register_start_block("networks.imports", template="networks/_start_imports.html", order=17)
def imports_waiting(user):
    """Staff: imported channel figures waiting for confirmation (hidden when there are none)."""
    if not user.has_role(Role.STAFF):
        return None
    imports = post_imports_waiting()
    return {"imports": imports} if imports else None
