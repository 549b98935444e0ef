"""Extension objects, bound to the app in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
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
# Limits are set where they apply (accounts.views.login, core.auth.require_api_token); none by default.
# Behind a reverse proxy the client's address is request.remote_addr only once ProxyFix has set it.
limiter = Limiter(key_func=get_remote_address)
