from django.urls import path

from records import views

app_name = "records"

# Under the supervisee's portal link: the token is a path segment, never a query string.
urlpatterns = [
    path("b/<str:token>/records/", views.record_list, name="list"),
    path("b/<str:token>/records/<int:record_id>/", views.record_detail, name="detail"),
    path("b/<str:token>/records/<int:record_id>/pdf/", views.record_pdf, name="pdf"),
    path("b/<str:token>/my-data.<str:fmt>", views.my_data, name="my_data"),
]
