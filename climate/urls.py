app_name = "climate"

urlpatterns = []
