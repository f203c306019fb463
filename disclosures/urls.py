from django.urls import path

from . import views

app_name = "disclosures"

urlpatterns = [
    path("", views.DisclosureListView.as_view(), name="disclosure_list"),
    path("upload/", views.disclosure_upload, name="disclosure_upload"),
    path("status/", views.disclosure_status, name="disclosure_status"),
    path("<int:pk>/", views.DisclosureDetailView.as_view(), name="disclosure_detail"),
    path("<int:pk>/reparse/", views.disclosure_reparse, name="disclosure_reparse"),
    path("<int:pk>/publish/", views.disclosure_publish, name="disclosure_publish"),
]
