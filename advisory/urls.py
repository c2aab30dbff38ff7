app_name = "advisory"

urlpatterns = []
