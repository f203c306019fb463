from django.urls import path

from . import views

app_name = "comparisons"

urlpatterns = [
    path("", views.home, name="home"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("files/<int:pk>/", views.disclosure_file, name="disclosure_file"),
    path("regions/<int:pk>/", views.region_detail, name="region_detail"),
    path("compare/", views.comparison, name="comparison"),
    path("completeness/", views.completeness, name="completeness"),
    path("classification/", views.classification_index, name="classification_index"),
    path("classification/<str:code>/", views.classification_detail, name="classification_detail"),
]
