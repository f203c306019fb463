from django.urls import path

from . import views

app_name = "disclosures"

urlpatterns = [
    path("", views.DisclosureListView.as_view(), name="disclosure_list"),
    path("upload/", views.disclosure_upload, name="disclosure_upload"),
    path("status/", views.disclosure_status, name="disclosure_status"),
    path("<int:pk>/status/", views.disclosure_status_cell, name="disclosure_status_cell"),
    path("departments/suggest/", views.department_suggest, name="department_suggest"),
    path("regions/suggest/", views.region_suggest, name="region_suggest"),
    path("<int:pk>/", views.disclosure_detail, name="disclosure_detail"),
    path("<int:pk>/correct/", views.disclosure_correct, name="disclosure_correct"),
    path("<int:pk>/department/", views.department_create, name="department_create"),
    path("<int:pk>/reparse/", views.disclosure_reparse, name="disclosure_reparse"),
    path(
        "<int:pk>/reparse/apply/", views.disclosure_apply_reparse, name="disclosure_apply_reparse"
    ),
    path("<int:pk>/publish/", views.disclosure_publish, name="disclosure_publish"),
    path("<int:pk>/file/", views.disclosure_file, name="disclosure_file"),
    path("<int:pk>/page/<int:page>.png", views.disclosure_page_image, name="disclosure_page_image"),
]
