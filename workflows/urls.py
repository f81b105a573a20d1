from django.urls import path

from workflows import views

app_name = "workflows"

# Tokens are path segments (never query strings) so they are not logged as parameters, and
# Referrer-Policy: same-origin keeps them out of other sites' logs.
urlpatterns = [
    path("bookings/link/", views.request_link, name="request_link"),
    path("b/<str:token>/", views.portal, name="portal"),
    path("b/<str:token>/agreement/<int:agreement_id>/", views.agreement, name="agreement"),
    path("b/<str:token>/session/<int:session_id>/", views.session_change, name="session_change"),
]
