# Shortcuts; ./yujue is the front door (see README).
.PHONY: up down test lint migrate worker shell demo bench

demo:
	./yujue demo
test:
	./yujue test
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/python manage.py makemigrations --check --dry-run
migrate:
	.venv/bin/python manage.py migrate
worker:
	.venv/bin/celery -A config worker -Q parsing,default,maintenance --loglevel INFO
shell:
	.venv/bin/python manage.py shell
bench:
	./yujue bench
up:
	docker compose up -d --build
down:
	docker compose down
