/**
 * Every phrase the conference flows say, with its text in each shipped language. The audio under
 * media/prompts/<language>/<id>.wav is synthesised from these texts by tools/prompts/generate.sh
 * (media/prompts/manifest.json records which text each file was made from; a test fails when a
 * text here changes and the audio was not regenerated). Number words are in number-words.ts.
 *
 * Wording: short, polite, gender-neutral where the language marks gender (Italian "Sei in
 * conferenza" rather than "Sei entrato/a"; Russian plural-polite "Вы вошли").
 */
import type { Language } from './language.js';

export type PromptTexts = Record<Language, string>;

export interface Phrase {
  id: string;
  texts: PromptTexts;
}

const phrase = (id: string, en: string, it: string, ru: string): Phrase => ({ id, texts: { en, it, ru } });

export const PHRASES: readonly Phrase[] = [
  phrase('conf-enter-number', 'Enter the conference number, followed by hash.', 'Inserisci il numero della conferenza, seguito da cancelletto.', 'Введите номер конференции и нажмите решётку.'),
  phrase('conf-enter-pin', 'Enter the conference PIN, followed by hash.', 'Inserisci il PIN della conferenza, seguito da cancelletto.', 'Введите пин-код конференции и нажмите решётку.'),
  phrase('conf-wrong-pin', 'Wrong PIN. Please try again.', 'PIN errato. Riprova.', 'Неверный пин-код. Попробуйте ещё раз.'),
  phrase('conf-wrong-pin-goodbye', 'Wrong PIN too many times. Goodbye.', 'Troppi PIN errati. Arrivederci.', 'Слишком много неверных попыток. До свидания.'),
  phrase('conf-no-such-number', 'There is no conference with that number.', 'Non esiste una conferenza con questo numero.', 'Конференции с таким номером нет.'),
  phrase('conf-not-started-wait', 'The conference has not started yet. Please wait.', 'La conferenza non è ancora iniziata. Resta in attesa.', 'Конференция ещё не началась. Пожалуйста, подождите.'),
  phrase('conf-not-started-call-later', 'The conference has not started yet. Please call back later.', 'La conferenza non è ancora iniziata. Richiama più tardi.', 'Конференция ещё не началась. Перезвоните позже.'),
  phrase('conf-locked', 'This conference is locked.', 'Questa conferenza è bloccata.', 'Вход в конференцию закрыт.'),
  phrase('conf-full', 'The conference is full.', 'La conferenza è al completo.', 'Конференция заполнена.'),
  phrase('conf-joined', 'You have joined the conference.', 'Sei in conferenza.', 'Вы вошли в конференцию.'),
  phrase('conf-joined-admin', 'You have joined the conference as administrator.', 'Sei in conferenza come amministratore.', 'Вы вошли в конференцию как администратор.'),
  phrase('conf-only-participant', 'You are the only participant.', "Sei l'unico partecipante.", 'Вы единственный участник.'),
  phrase('conf-one-participant', 'There is one participant.', "C'è un partecipante.", 'В конференции один участник.'),
  phrase('conf-there-are', 'There are', 'Ci sono', 'В конференции'),
  phrase('noun-participant-one', 'participant', 'partecipante', 'участник'),
  phrase('noun-participant-few', 'participants', 'partecipanti', 'участника'),
  phrase('noun-participant-many', 'participants', 'partecipanti', 'участников'),
  phrase('conf-muted', 'You have been muted.', 'Microfono disattivato.', 'Ваш микрофон выключен.'),
  phrase('conf-unmuted', 'You have been unmuted.', 'Microfono attivato.', 'Ваш микрофон включён.'),
  phrase('conf-all-muted', 'All other participants are muted.', 'Tutti gli altri sono silenziati.', 'Микрофоны остальных участников выключены.'),
  phrase('conf-all-unmuted', 'All other participants are unmuted.', 'Tutti gli altri possono parlare.', 'Микрофоны остальных участников включены.'),
  phrase('conf-now-locked', 'The conference is now locked.', 'La conferenza ora è bloccata.', 'Конференция заблокирована.'),
  phrase('conf-now-unlocked', 'The conference is now unlocked.', 'La conferenza ora è sbloccata.', 'Конференция разблокирована.'),
  phrase('conf-last-removed', 'The last participant to join has been removed.', "L'ultimo partecipante entrato è stato rimosso.", 'Последний вошедший участник удалён.'),
  phrase('ivr-invalid-choice', 'That is not a valid choice.', 'Scelta non valida.', 'Неверный выбор.'),
  phrase('ivr-goodbye', 'Goodbye.', 'Arrivederci.', 'До свидания.'),
  phrase('ivr-thank-you', 'Thank you.', 'Grazie.', 'Спасибо.'),
];
