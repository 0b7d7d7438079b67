from . import urls_dashboard, urls_reports

app_name = "evaluation"
urlpatterns = [*urls_dashboard.urlpatterns, *urls_reports.urlpatterns]
