# One image for web, worker and scheduler.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production
WORKDIR /app
COPY pyproject.toml ./
COPY config ./config
COPY disclosures ./disclosures
COPY comparisons ./comparisons
RUN pip install .
COPY . .
RUN SECRET_KEY=build-only-collectstatic-key-0123456789abcdef python manage.py collectstatic --noinput
RUN useradd --create-home yujue && mkdir -p /data/media && chown -R yujue /data
USER yujue
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
