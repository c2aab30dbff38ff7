from core.roles import Role
from testing.access import LOGIN, Access, Public

URL_ACCESS = {
    "accounts:login": Public(),
    "accounts:logout": Public(method="post"),
    "accounts:password_reset": Public(),
    "accounts:password_reset_done": Public(),
    "accounts:password_reset_confirm": Public(kwargs=lambda w: {"uidb64": "MQ", "token": "falsch"}),
    "accounts:password_reset_complete": Public(),
    "accounts:invitation_accept": Public(kwargs=lambda w: {"uidb64": "MQ", "token": "falsch"}),
    "accounts:invite": Access(Role.STAFF),
    "accounts:profile": Access(LOGIN),
    "accounts:password_change": Access(LOGIN),
    "accounts:my_data_export": Access(LOGIN, method="post"),
}
