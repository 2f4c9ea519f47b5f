#include "shortcutsettings.h"

#include "actionregistry.h"

#include <QAction>
#include <QSettings>

namespace annotune::ui::shortcutsettings {
namespace {
const QString kGroup = QStringLiteral("shortcuts/");

QString title(const ActionRegistry &registry, const QString &id)
{
    QAction *a = registry.action(id);
    return a ? a->text().remove(QLatin1Char('&')).remove(QStringLiteral("…")) : id;
}
} // namespace

QString findClash(const ActionRegistry &registry, const QHash<QString, QKeySequence> &shortcuts)
{
    QHash<QKeySequence, QString> owner;
    for (const QString &id : registry.ids()) {
        const QKeySequence key = shortcuts.value(id);
        if (key.isEmpty())
            continue;
        if (owner.contains(key))
            return QObject::tr("%1 is used by both '%2' and '%3'")
                .arg(key.toString(QKeySequence::NativeText), title(registry, owner.value(key)), title(registry, id));
        owner.insert(key, id);
    }
    return {};
}

void apply(ActionRegistry &registry)
{
    QSettings settings;
    QHash<QString, QKeySequence> wanted;
    for (const QString &id : registry.ids()) {
        const QVariant saved = settings.value(kGroup + id);
        wanted.insert(id, saved.isValid() ? QKeySequence(saved.toString(), QKeySequence::PortableText)
                                          : registry.defaultShortcut(id));
    }
    if (!findClash(registry, wanted).isEmpty())
        return;
    for (auto it = wanted.cbegin(); it != wanted.cend(); ++it)
        registry.setShortcut(it.key(), it.value());
}

QString change(ActionRegistry &registry, const QHash<QString, QKeySequence> &shortcuts)
{
    if (QString clash = findClash(registry, shortcuts); !clash.isEmpty())
        return clash;
    QSettings settings;
    for (const QString &id : registry.ids()) {
        const QKeySequence key = shortcuts.value(id);
        registry.setShortcut(id, key);
        if (key == registry.defaultShortcut(id))
            settings.remove(kGroup + id);
        else
            settings.setValue(kGroup + id, key.toString(QKeySequence::PortableText));
    }
    return {};
}

QString reviewerName()
{
    return QSettings().value(QStringLiteral("review/author")).toString().trimmed();
}

void setReviewerName(const QString &name)
{
    QSettings().setValue(QStringLiteral("review/author"), name.trimmed());
}

} // namespace annotune::ui::shortcutsettings
