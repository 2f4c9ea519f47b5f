#include "classrepository.h"

#include "auditrepository.h"
#include "database.h"

#include <QJsonObject>

namespace annotune::core::store {
namespace {

QJsonObject toJson(const LabelClass &c)
{
    return {{QStringLiteral("name"), c.name},
            {QStringLiteral("color"), c.color.name()},
            {QStringLiteral("kind"), toText(c.kind)},
            {QStringLiteral("hotkey"), c.hotkey},
            {QStringLiteral("position"), c.position}};
}

std::optional<LabelClass> fetch(Database &db, Id id)
{
    auto st = db.cached("SELECT id, name, color, kind, hotkey, position FROM classes WHERE id=?");
    st->bind(1, id);
    if (!st->step())
        return std::nullopt;
    return LabelClass{st->int64(0), st->text(1), QColor(st->text(2)),
                      classKindFromString(st->text(3)).value_or(ClassKind::Box), st->text(4), st->integer(5)};
}

} // namespace

Result<QVector<LabelClass>> ClassRepository::list()
{
    return guarded(QStringLiteral("classes"), [&]() -> Result<QVector<LabelClass>> {
        auto st = m_db.cached("SELECT id, name, color, kind, hotkey, position FROM classes ORDER BY position, id");
        QVector<LabelClass> out;
        while (st->step())
            out.append(LabelClass{st->int64(0), st->text(1), QColor(st->text(2)),
                                  classKindFromString(st->text(3)).value_or(ClassKind::Box), st->text(4),
                                  st->integer(5)});
        return out;
    });
}

Result<Id> ClassRepository::add(const LabelClass &c, const QString &author)
{
    if (c.name.trimmed().isEmpty())
        return makeError(ErrorCode::BadInput, QStringLiteral("class: the name is empty"));
    return guarded(QStringLiteral("class '%1'").arg(c.name), [&]() -> Result<Id> {
        Transaction tx(m_db);
        auto st = m_db.cached("INSERT INTO classes(id, name, color, kind, hotkey, position) VALUES (?,?,?,?,?,?)");
        c.id ? st->bind(1, c.id) : st->bindNull(1);
        st->bind(2, c.name.trimmed()).bind(3, c.color.name()).bind(4, toText(c.kind)).bind(5, c.hotkey).bind(6, c.position);
        st->exec();
        const Id id = m_db.lastInsertId();
        m_audit.append(author, QStringLiteral("class.add"), QStringLiteral("class"), id, {}, toJson(c));
        tx.commit();
        return id;
    });
}

Status ClassRepository::update(const LabelClass &c, const QString &author)
{
    return guarded(QStringLiteral("class '%1'").arg(c.name), [&]() -> Status {
        Transaction tx(m_db);
        const auto before = fetch(m_db, c.id);
        if (!before)
            return makeError(ErrorCode::NotFound, QStringLiteral("class %1: no such class").arg(c.id));
        auto st = m_db.cached("UPDATE classes SET name=?, color=?, kind=?, hotkey=?, position=? WHERE id=?");
        st->bind(1, c.name.trimmed()).bind(2, c.color.name()).bind(3, toText(c.kind)).bind(4, c.hotkey)
            .bind(5, c.position).bind(6, c.id);
        st->exec();
        m_audit.append(author, QStringLiteral("class.update"), QStringLiteral("class"), c.id, toJson(*before), toJson(c));
        tx.commit();
        return {};
    });
}

Result<qint64> ClassRepository::usage(Id id)
{
    return guarded(QStringLiteral("class %1").arg(id), [&]() -> Result<qint64> {
        auto st = m_db.cached("SELECT (SELECT count(*) FROM annotations WHERE class_id=?1) + "
                              "(SELECT count(*) FROM predictions WHERE class_id=?1)");
        st->bind(1, id);
        st->step();
        return qint64(st->int64(0));
    });
}

Status ClassRepository::remove(Id id, const QString &author)
{
    return guarded(QStringLiteral("class %1").arg(id), [&]() -> Status {
        Transaction tx(m_db);
        const auto before = fetch(m_db, id);
        if (!before)
            return makeError(ErrorCode::NotFound, QStringLiteral("class %1: no such class").arg(id));
        const auto used = usage(id);
        if (!used)
            return used.error();
        if (*used > 0)
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("class '%1': still used by %2 labels").arg(before->name).arg(*used));
        auto st = m_db.cached("DELETE FROM classes WHERE id=?");
        st->bind(1, id);
        st->exec();
        m_audit.append(author, QStringLiteral("class.remove"), QStringLiteral("class"), id, toJson(*before), {});
        tx.commit();
        return {};
    });
}

Result<QString> SettingsRepository::value(const QString &key, const QString &fallback)
{
    return guarded(QStringLiteral("setting '%1'").arg(key), [&]() -> Result<QString> {
        auto st = m_db.cached("SELECT value FROM settings WHERE key=?");
        st->bind(1, key);
        return st->step() ? st->text(0) : fallback;
    });
}

Status SettingsRepository::setValue(const QString &key, const QString &value, const QString &author)
{
    return guarded(QStringLiteral("setting '%1'").arg(key), [&]() -> Status {
        Transaction tx(m_db);
        const QString before = *this->value(key);
        auto st = m_db.cached("INSERT INTO settings(key, value) VALUES (?,?) "
                              "ON CONFLICT(key) DO UPDATE SET value=excluded.value");
        st->bind(1, key).bind(2, value);
        st->exec();
        m_audit.append(author, QStringLiteral("setting.set"), QStringLiteral("setting"), 0,
                       {{key, before}}, {{key, value}});
        tx.commit();
        return {};
    });
}

} // namespace annotune::core::store
