"""KeyBoss first-run data, run by seed.sh through `manage.py shell`.

Every object is looked up by its slug (or e-mail) and created only when missing, so a second
run changes nothing.
"""
import os

from django.db import transaction

from saleor.account.models import User
from saleor.attribute.models import Attribute, AttributeProduct, AttributeValue
from saleor.product.models import Category, Collection, ProductType

ATTRIBUTES = {
    "platform": ("Platform", ["PC", "Xbox", "PlayStation"]),
    "badge": ("Badge", ["Fresh Drop", "Editor Choice", "Hot Pick", "Top Seller"]),
}
CATEGORIES = ["Action", "RPG", "Racing", "Sandbox"]
COLLECTIONS = {"featured-products": "Featured Products", "top-pick": "Top Pick"}


def slug(text):
    return text.lower().replace(" ", "-")


created = []
with transaction.atomic():
    email = os.environ["ADMIN_EMAIL"]
    if not User.objects.filter(email=email).exists():
        User.objects.create_superuser(email, os.environ["ADMIN_PASSWORD"])
        created.append("admin " + email)

    product_type, new = ProductType.objects.get_or_create(
        slug="digital-keys",
        defaults={"name": "Digital Keys", "is_shipping_required": False},
    )
    if new:
        created.append("product type Digital Keys")
    for order, (attribute_slug, (name, values)) in enumerate(ATTRIBUTES.items()):
        attribute, new = Attribute.objects.get_or_create(
            slug=attribute_slug,
            defaults={"name": name, "type": "PRODUCT_TYPE", "input_type": "dropdown"},
        )
        if new:
            created.append("attribute " + name)
        for value in values:
            if not AttributeValue.objects.filter(attribute=attribute, slug=slug(value)).exists():
                AttributeValue.objects.create(attribute=attribute, name=value, slug=slug(value))
                created.append("value " + value)
        _, new = AttributeProduct.objects.get_or_create(
            attribute=attribute, product_type=product_type, defaults={"sort_order": order}
        )
        if new:
            created.append("attribute " + name + " on Digital Keys")

    for name in CATEGORIES:
        if not Category.objects.filter(slug=slug(name)).exists():
            Category.objects.create(name=name, slug=slug(name))
            created.append("category " + name)

    for collection_slug, name in COLLECTIONS.items():
        if not Collection.objects.filter(slug=collection_slug).exists():
            Collection.objects.create(name=name, slug=collection_slug)
            created.append("collection " + name)

print("[seed] created: " + (", ".join(created) if created else "nothing (already seeded)"))
