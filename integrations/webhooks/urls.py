from django.urls import path

from integrations.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("teams/<slug:slug>/integrations/", views.integrations, name="integrations"),
    path("teams/<slug:slug>/integrations/webhooks/", views.endpoint_add, name="add"),
    path(
        "teams/<slug:slug>/integrations/webhooks/<id:pk>/events/",
        views.endpoint_events,
        name="events",
    ),
    path("teams/<slug:slug>/integrations/webhooks/<id:pk>/test/", views.endpoint_test, name="test"),
    path(
        "teams/<slug:slug>/integrations/webhooks/<id:pk>/enable/",
        views.endpoint_enable,
        name="enable",
    ),
    path(
        "teams/<slug:slug>/integrations/webhooks/<id:pk>/remove/",
        views.endpoint_remove,
        name="remove",
    ),
    path(
        "teams/<slug:slug>/integrations/deliveries/<id:pk>/redeliver/",
        views.delivery_redeliver,
        name="redeliver",
    ),
]
