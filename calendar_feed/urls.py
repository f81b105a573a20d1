from django.urls import path

from calendar_feed import views
from calendar_feed.feeds import session_feed

app_name = "calendar_feed"

# The secret is the path segment after /feeds/ (or /b/), which accounts.logging redacts.
urlpatterns = [
    path("feeds/<str:token>.ics", session_feed, name="feed"),
    path("b/<str:token>/calendar/", views.supervisee_feed, name="supervisee"),
]
