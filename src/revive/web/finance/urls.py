"""Routes of the finance pages (loan requests, credit lines, funnel, lending share)."""

from django.urls import path

from revive.web.finance import views as v

urlpatterns = [
    path("loans/", v.loan_list, name="loans"),
    path("loans/new/", v.loan_new, name="loan_new"),
    path("loans/credit-lines/", v.credit_lines, name="credit_lines"),
    path("loans/funnel/", v.funnel, name="loan_funnel"),
    path("loans/lending-share/", v.lending_share, name="lending_share"),
    path("loans/lending-share/figures/", v.lending_figure, name="lending_figure"),
    path("loans/lending-share/import/", v.lending_import, name="lending_import"),
    path("loans/<int:pk>/", v.loan_detail, name="loan"),
    path("loans/<int:pk>/step/", v.loan_step, name="loan_step"),
    path("loans/<int:pk>/introduce/", v.loan_introduce, name="loan_introduce"),
    path("loans/<int:pk>/decide/", v.loan_decide, name="loan_decide"),
    path("loans/<int:pk>/disbursements/", v.loan_disburse, name="loan_disburse"),
    path("loans/<int:pk>/repayments/", v.loan_repay, name="loan_repay"),
]
