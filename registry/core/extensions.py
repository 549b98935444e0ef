"""Extension objects, bound to the app in create_app()."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from registry.core.db import Base
from registry.core.openapi import RegistryApi

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = RegistryApi()
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
