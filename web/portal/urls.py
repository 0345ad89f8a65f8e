"""The portal's addresses (Vietnamese words, no accents): sign-in, the unit's pages, the
appraiser's pages, Nội vụ's pages, and evidence files through a permission-checking view."""

from django.urls import path

from .views import account, admin, appraiser, files, home, unit

app_name = "portal"

U = "c/<slug:slug>/don-vi/<int:unit_id>/"
T = "c/<slug:slug>/tham-dinh/"
Q = "c/<slug:slug>/quan-tri/"

urlpatterns = [
    path("", home.home, name="home"),
    path("dang-nhap/", account.LoginView.as_view(), name="login"),
    path("dang-xuat/", account.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", account.PasswordChangeView.as_view(), name="password_change"),
    path("c/<slug:slug>/", home.campaign_home, name="campaign"),
    # the unit (Đơn vị)
    path(U, unit.dashboard, name="unit"),
    path(U + "tu-danh-gia/", unit.form, name="unit_form"),
    path(U + "la/<str:code>/", unit.save_leaf, name="unit_leaf"),
    path(U + "la/<str:code>/tep/", unit.upload, name="unit_upload"),
    path(U + "chot/", unit.submit, name="unit_submit"),
    path(U + "rut/", unit.withdraw, name="unit_withdraw"),
    path(U + "excel/", unit.excel, name="unit_excel"),
    path(U + "ket-qua-tham-dinh/", unit.appraisal_result, name="unit_appraisal"),
    path(U + "giai-trinh/<str:code>/", unit.explain, name="unit_explain"),
    path(U + "bao-cao.docx", unit.report_docx, name="unit_report"),
    path(U + "ke-hoach.docx", unit.plan_docx, name="unit_plan"),
    # the appraiser (Thẩm định)
    path(T, appraiser.units, name="appraiser"),
    path(T + "<int:unit_id>/", appraiser.unit, name="appraise_unit"),
    path(T + "<int:unit_id>/la/<str:code>/", appraiser.appraise_leaf, name="appraise_leaf"),
    path(T + "<int:unit_id>/yeu-cau/<str:code>/", appraiser.ask, name="appraise_request"),
    # Nội vụ (Quản trị)
    path("quan-tri/", admin.campaigns, name="admin_campaigns"),
    path(Q, admin.overview, name="admin"),
    path(Q + "don-vi/", admin.units, name="admin_units"),
    path(Q + "tai-khoan/", admin.accounts, name="admin_accounts"),
    path(Q + "thoi-han/", admin.deadlines, name="admin_deadlines"),
    path(Q + "dieu-tra/", admin.survey, name="admin_survey"),
    path(Q + "xep-hang/", admin.ranking, name="admin_ranking"),
    path(Q + "bieu-do/<str:kind>.png", admin.chart, name="admin_chart"),
    path(Q + "cong-bo/", admin.publish, name="admin_publish"),
    path(Q + "cong-bo/tien-do/", admin.publish_progress, name="admin_publish_progress"),
    path(Q + "cong-bo/<str:name>", admin.publication_file, name="admin_publication_file"),
    path(Q + "nhat-ky/", admin.audit, name="admin_audit"),
    # evidence files, only through a view that checks the account may see the unit
    path("tep/<int:file_id>/", files.download, name="file"),
]
